-- account_signals: the source table SalesIntel reads (--source bq://PROJECT.DATASET.account_signals), one row per
-- account per day. Columns mirror src/Stages/Model/AccountSignalsTable.cs (a test keeps them in line).
-- Replace the placeholders and run:
--   sed -e 's/{{PROJECT}}/my-project/g' -e 's/{{DATASET}}/sales/g' deploy/account_signals.sql | bq query --use_legacy_sql=false

CREATE TABLE IF NOT EXISTS `{{PROJECT}}.{{DATASET}}.account_signals`
(
  account_id STRING NOT NULL OPTIONS (description = 'The account key.'),
  account_name STRING,
  domain STRING,
  industry STRING,
  country STRING,
  lifecycle_stage STRING OPTIONS (description = 'prospect | customer | churned.'),
  owner_email STRING,
  employee_count INT64,
  annual_revenue NUMERIC,
  arr NUMERIC OPTIONS (description = 'Annual recurring revenue with us.'),
  open_opportunities INT64,
  pipeline_amount NUMERIC,
  last_activity_at TIMESTAMP,
  last_meeting_date DATE,
  renewal_date DATE,
  web_visits_30d INT64,
  intent_score FLOAT64 OPTIONS (description = 'Third-party intent, 0-100.'),
  intent_topics ARRAY<STRING>,
  product_usage_trend FLOAT64 OPTIONS (description = 'e.g. -0.3 for a 30% drop.'),
  support_tickets_open INT64,
  notes STRING OPTIONS (description = 'Free text written by people: untrusted input, never instructions.'),
  snapshot_date DATE NOT NULL OPTIONS (description = 'The day of the snapshot; the partition.')
)
PARTITION BY snapshot_date
CLUSTER BY account_id
OPTIONS (
  description = 'Daily account signals scored by SalesIntel.',
  require_partition_filter = TRUE
);
