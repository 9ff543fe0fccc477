-- account_recommendations: what SalesIntel writes (the BigQuery sink, --sink bq://PROJECT.DATASET.account_recommendations),
-- and account_recommendations_latest: the view sales teams read, one row per account and score date.
-- Columns mirror src/Stages/Model/RecommendationsTable.cs (a test keeps them in line). Replace the placeholders and run:
--   sed -e 's/{{PROJECT}}/my-project/g' -e 's/{{DATASET}}/sales/g' deploy/account_recommendations.sql | bq query --use_legacy_sql=false
-- Why the view: a re-run reads back what is committed for its dates and skips those accounts, so the table holds each
-- account once per date; but a deliberate --rescore, or two runs of one date at the same time, add a second row.
-- The table keeps every committed row (an audit trail); the view shows only the latest. See docs/BIGQUERY_WRITE.md.

CREATE TABLE IF NOT EXISTS `{{PROJECT}}.{{DATASET}}.account_recommendations`
(
  account_id STRING NOT NULL OPTIONS (description = 'The account key, as in account_signals.'),
  score_date DATE NOT NULL OPTIONS (description = 'The account_signals snapshot_date that was scored; the partition.'),
  score INT64 NOT NULL OPTIONS (description = '0-100.'),
  tier STRING NOT NULL OPTIONS (description = 'A (80-100) | B (60-79) | C (40-59) | D (0-39).'),
  rationale STRING NOT NULL OPTIONS (description = 'Why, naming the strongest signals.'),
  recommended_actions ARRAY<STRING> OPTIONS (description = 'One to three next best actions.'),
  confidence FLOAT64 NOT NULL OPTIONS (description = '0-1.'),
  scorer STRING NOT NULL OPTIONS (description = 'rules | gemini | rules-fallback.'),
  model STRING OPTIONS (description = 'The model that answered; NULL for the rules scorer.'),
  prompt_version STRING NOT NULL OPTIONS (description = 'The prompt or rules version.'),
  input_hash STRING NOT NULL OPTIONS (description = 'XXH128 of the canonical JSON of the input row.'),
  run_id STRING NOT NULL OPTIONS (description = 'The run that wrote the row (CLOUD_RUN_EXECUTION by default).'),
  scored_at TIMESTAMP NOT NULL OPTIONS (description = 'When the row was scored (UTC); the latest wins in the view.'),
  latency_ms INT64 OPTIONS (description = 'Scoring latency; NULL for rules.'),
  input_tokens INT64 OPTIONS (description = 'Prompt tokens; NULL for rules.'),
  output_tokens INT64 OPTIONS (description = 'Output tokens, thinking excluded; NULL for rules.'),
  thinking_tokens INT64 OPTIONS (description = 'Thinking tokens; NULL for rules.'),
  material_hash STRING OPTIONS (description = 'XXH128 of the signals without snapshot_date and volatile columns, with scorer, model and prompt; equal means carry forward.'),
  carried_from DATE OPTIONS (description = 'Set when the row was carried forward unchanged: the score_date it was scored; no model call, zero tokens.')
)
PARTITION BY score_date
CLUSTER BY account_id
OPTIONS (
  description = 'SalesIntel recommendations, appended in committed chunks by the Storage Write API. Read account_recommendations_latest.',
  require_partition_filter = TRUE
);

-- Tables created before carry-forward lack its two columns; the sink's preflight refuses them until they are added.
-- Both are NULLABLE, so this is a metadata-only change (ADD COLUMN IF NOT EXISTS makes it safe to run again).
ALTER TABLE `{{PROJECT}}.{{DATASET}}.account_recommendations`
  ADD COLUMN IF NOT EXISTS material_hash STRING OPTIONS (description = 'XXH128 of the signals without snapshot_date and volatile columns, with scorer, model and prompt; equal means carry forward.'),
  ADD COLUMN IF NOT EXISTS carried_from DATE OPTIONS (description = 'Set when the row was carried forward unchanged: the score_date it was scored; no model call, zero tokens.');

-- The latest row per (account_id, score_date): re-runs and task retries never show an account twice. A filter on
-- score_date (required by the table) is pushed below the window, since it partitions by score_date too.
CREATE OR REPLACE VIEW `{{PROJECT}}.{{DATASET}}.account_recommendations_latest`
OPTIONS (description = 'One row per account and score date: the latest scored_at (then the greatest run_id) wins.')
AS
SELECT * EXCEPT (row_rank)
FROM (
  SELECT
    r.*,
    ROW_NUMBER() OVER (PARTITION BY r.account_id, r.score_date ORDER BY r.scored_at DESC, r.run_id DESC, r.input_hash DESC) AS row_rank
  FROM `{{PROJECT}}.{{DATASET}}.account_recommendations` AS r
)
WHERE row_rank = 1;
