-- Per version: decile bins of its training features and scores, for drift (PSI) monitoring.
alter table model_version add column drift_baseline jsonb;
