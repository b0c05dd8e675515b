-- The table lists newest first, and the window's first screen is the newest 40: with this
-- index SQLite reads them in order instead of sorting the whole table.
CREATE INDEX credentials_newest_first ON credentials(created_at DESC, id DESC);
