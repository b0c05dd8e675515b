-- A page of the list carries the vault's distinct environments (the filter's choices): with
-- this index SQLite reads them in order instead of scanning and sorting the table.
CREATE INDEX credentials_by_environment ON credentials(environment);
