// Generated from src-tauri/core/src/fields.rs by its bindings test. Do not edit.
import type { FieldSpec } from "./FieldSpec";

export const FIELDS = [
  {"key":"name","label":"Name","provider":null,"secret":false,"input":true,"destination":false,"min_len":1,"max_len":100},
  {"key":"environment","label":"Environment","provider":null,"secret":false,"input":true,"destination":false,"min_len":0,"max_len":40},
  {"key":"access_key_id","label":"Access Key ID","provider":"AWS","secret":false,"input":true,"destination":true,"min_len":20,"max_len":20},
  {"key":"secret_access_key","label":"Secret Access Key","provider":"AWS","secret":true,"input":true,"destination":false,"min_len":40,"max_len":40},
  {"key":"session_token","label":"Session Token","provider":"AWS","secret":true,"input":true,"destination":false,"min_len":0,"max_len":65536},
  {"key":"region","label":"Region","provider":"AWS","secret":false,"input":true,"destination":true,"min_len":0,"max_len":30},
  {"key":"endpoint","label":"Endpoint URL","provider":"APISIX","secret":false,"input":true,"destination":true,"min_len":1,"max_len":2048},
  {"key":"admin_key","label":"Admin API Key","provider":"APISIX","secret":true,"input":true,"destination":false,"min_len":8,"max_len":1024},
  {"key":"tenant_id","label":"Tenant ID","provider":"AZURE","secret":false,"input":true,"destination":true,"min_len":36,"max_len":36},
  {"key":"client_id","label":"Client ID","provider":"AZURE","secret":false,"input":true,"destination":true,"min_len":36,"max_len":36},
  {"key":"client_secret","label":"Client Secret","provider":"AZURE","secret":true,"input":true,"destination":false,"min_len":8,"max_len":1024},
  {"key":"service_account_json","label":"Service Account Key (JSON)","provider":"GCP","secret":true,"input":true,"destination":false,"min_len":2,"max_len":65536},
  {"key":"client_email","label":"Client email","provider":"GCP","secret":false,"input":false,"destination":false,"min_len":0,"max_len":2048},
  {"key":"project_id","label":"Project ID","provider":"GCP","secret":false,"input":false,"destination":false,"min_len":0,"max_len":2048},
  {"key":"private_key_id","label":"Private key ID","provider":"GCP","secret":false,"input":false,"destination":false,"min_len":0,"max_len":2048},
  {"key":"token_uri","label":"Token URI","provider":"GCP","secret":false,"input":false,"destination":false,"min_len":0,"max_len":2048},
] as const satisfies readonly FieldSpec[];
