-- Several processes share the jobs. The process running a job names itself (owner) and holds it
-- until lease_until; a job whose lease ran out (its process died) is taken again by any process.

ALTER TABLE jobs ADD COLUMN owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_until DOUBLE PRECISION;
CREATE INDEX jobs_running_by_lease ON jobs (lease_until) WHERE state = 'running';
