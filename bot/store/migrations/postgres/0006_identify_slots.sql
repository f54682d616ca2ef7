-- Discord lets a bot start one gateway session per rate-limit bucket (shard_id % max_concurrency)
-- every 5 seconds. Every process sharing the database takes its turn here before it identifies.

CREATE TABLE identify_slots (
    bucket  BIGINT PRIMARY KEY,
    last_at DOUBLE PRECISION NOT NULL
);
