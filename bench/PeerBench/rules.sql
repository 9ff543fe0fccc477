-- The rules scorer of docs/RULES_SCORER.md (rules-v1) as one DuckDB query: score, tier, confidence, the rationale
-- with its evidence text, up to three recommended actions and an input hash (MD5 of the row as JSON) per row.
-- Program.cs fills in the source, the sink and the actions column (JSON text for CSV, a list for Parquet).
CREATE MACRO c01(x) AS CASE WHEN x IS NULL OR isnan(x) THEN 0 ELSE least(greatest(x, 0), 1) END;
CREATE MACRO log01(x, d) AS CASE WHEN x > 0 THEN c01(log10(1 + x) / d) ELSE 0 END;
CREATE MACRO f1(x) AS regexp_replace(printf('%.1f', x), '\.0$', '');
CREATE MACRO money(x) AS CASE WHEN x IS NULL THEN 'unknown' WHEN x >= 1000000 THEN '$' || f1(x / 1000000) || 'M'
  WHEN x >= 1000 THEN '$' || f1(x / 1000) || 'k' ELSE '$' || printf('%.0f', x) END;
CREATE MACRO pct(r) AS CASE WHEN r IS NULL THEN 'unknown' WHEN round(r * 100) = 0 THEN '0%' ELSE printf('%+.0f%%', r * 100) END;
CREATE MACRO tier(s) AS CASE WHEN s >= 80 THEN 'A' WHEN s >= 60 THEN 'B' WHEN s >= 40 THEN 'C' ELSE 'D' END;

COPY (
WITH src AS (SELECT * FROM {source}),
d AS (
  SELECT src.*, md5(to_json(src)) AS input_hash, coalesce(lower(trim(lifecycle_stage)), '') AS stage,
    CASE WHEN last_activity_at IS NOT NULL THEN greatest(0, snapshot_date - CAST(last_activity_at AS DATE)) END AS da,
    CASE WHEN last_meeting_date IS NOT NULL THEN greatest(0, snapshot_date - last_meeting_date) END AS dm
  FROM src),
g AS (
  SELECT *,
    25 * c01(0.75 * (CASE WHEN da IS NULL THEN 0 ELSE c01(1 - ((da - 7) / 83.0)) END)
      + 0.25 * (CASE WHEN dm <= 30 THEN 1 - dm / 30.0 ELSE 0 END)) AS p_eng,
    20 * c01(0.7 * c01(coalesce(intent_score, 0) / 100) + 0.3 * log01(web_visits_30d, 3)) AS p_int,
    20 * c01(0.5 * c01(coalesce(open_opportunities, 0) / 3.0) + 0.5 * log01(pipeline_amount, 6)) AS p_pip,
    15 * c01(0.5 * log01(employee_count, 4) + 0.5 * log01(annual_revenue, 9)) AS p_fit,
    20 * CASE stage WHEN 'customer' THEN c01(0.5 + coalesce(product_usage_trend, 0) - 0.08 * least(5, coalesce(support_tickets_open, 0)))
      WHEN 'churned' THEN 0.2 ELSE 0.5 END AS p_hea,
    (da IS NOT NULL)::INT + (dm IS NOT NULL)::INT + (intent_score IS NOT NULL)::INT + (web_visits_30d IS NOT NULL)::INT
      + (open_opportunities IS NOT NULL)::INT + (pipeline_amount IS NOT NULL)::INT + (employee_count IS NOT NULL)::INT
      + (annual_revenue IS NOT NULL)::INT + (product_usage_trend IS NOT NULL)::INT + (support_tickets_open IS NOT NULL)::INT AS present
  FROM d),
s AS (
  SELECT *,
    CAST(round(least(greatest((p_eng + p_int + p_pip + p_fit + p_hea) * CASE WHEN stage = 'churned' THEN 0.6 ELSE 1.0 END, 0), 100)) AS BIGINT) AS score,
    [{'k': -p_eng, 'n': 'engagement', 'e': CASE WHEN da IS NULL THEN 'no recorded activity' ELSE 'last activity ' || da || ' days ago' END},
     {'k': -p_int, 'n': 'intent', 'e': 'intent score ' || coalesce(f1(intent_score), 'unknown') || ' with ' || coalesce(web_visits_30d, 0) || ' web visits in 30 days'},
     {'k': -p_pip, 'n': 'pipeline', 'e': coalesce(open_opportunities, 0) || ' open opportunities worth ' || money(pipeline_amount)},
     {'k': -p_fit, 'n': 'fit', 'e': coalesce(CAST(employee_count AS VARCHAR), 'unknown') || ' employees, revenue ' || money(annual_revenue)},
     {'k': -p_hea, 'n': 'product health', 'e': CASE WHEN stage = 'customer'
        THEN 'usage trend ' || pct(product_usage_trend) || ' and ' || coalesce(support_tickets_open, 0) || ' open tickets'
        ELSE 'lifecycle stage ' || coalesce(lifecycle_stage, 'unknown') END}] AS groups,
    list_filter([
      CASE WHEN stage = 'customer' AND renewal_date - snapshot_date BETWEEN 0 AND 90
        THEN 'Prepare the renewal due ' || strftime(renewal_date, '%Y-%m-%d') || ': confirm stakeholders and run a value review' END,
      CASE WHEN stage = 'customer' AND product_usage_trend < -0.1 THEN 'Run a product health check: usage is ' || pct(product_usage_trend) END,
      CASE WHEN support_tickets_open >= 3 THEN 'Escalate the ' || support_tickets_open || ' open support tickets with the account''s CSM' END,
      CASE WHEN stage = 'churned' THEN 'Start a win-back sequence referencing what changed since they left' END,
      CASE WHEN open_opportunities > 0
        THEN 'Advance the ' || open_opportunities || ' open opportunities (' || money(pipeline_amount) || ' pipeline) to the next stage' END,
      CASE WHEN stage <> 'customer' AND intent_score >= 70 THEN CASE WHEN len(from_json(intent_topics, '["VARCHAR"]')) > 0
        THEN 'Reach out on their intent topics: ' || array_to_string(from_json(intent_topics, '["VARCHAR"]')[1:3], ', ')
        ELSE 'Reach out while intent is high' END END,
      CASE WHEN da IS NULL THEN 'Re-engage: no activity on record' WHEN da > 30 THEN 'Re-engage: no activity for ' || da || ' days' END
    ], x -> x IS NOT NULL)[1:3] AS acts
  FROM g),
r AS (
  SELECT *, list_sort(groups) AS strongest,
    CASE WHEN len(acts) = 0 THEN [CASE WHEN score >= 60 THEN 'Book an executive check-in to expand the relationship'
      ELSE 'Keep in a quarterly nurture sequence' END] ELSE acts END AS actions, list_sort([{'k': -x.k, 'n': x.n, 'e': x.e} FOR x IN groups]) AS weakest FROM s)
SELECT account_id, snapshot_date AS score_date, score, tier(score) AS tier,
  'Score ' || score || ' (' || tier(score) || '): strongest signals are ' || strongest[1].n || ' (' || strongest[1].e || ') and '
    || strongest[2].n || ' (' || strongest[2].e || '); weakest is ' || weakest[1].n || ' (' || weakest[1].e || ').'
    || CASE WHEN stage = 'churned' THEN ' Churned accounts are scored at 60%.' ELSE '' END AS rationale,
  {actions} AS recommended_actions,
  round(0.4 + 0.6 * present / 10, 2) AS confidence, 'rules' AS scorer, CAST(NULL AS VARCHAR) AS model, 'rules-v1' AS prompt_version,
  input_hash, 'run-duckdb' AS run_id, current_timestamp AS scored_at, CAST(NULL AS BIGINT) AS latency_ms,
  CAST(NULL AS BIGINT) AS input_tokens, CAST(NULL AS BIGINT) AS output_tokens, CAST(NULL AS BIGINT) AS thinking_tokens
FROM r
) TO '{sink}' {copy_options};
