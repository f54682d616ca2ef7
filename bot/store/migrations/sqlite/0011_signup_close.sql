-- When sign-up for a shift closes (NULL: claims are taken until the start). After it, claims are
-- refused with the reason; leaving and handoffs go on.

ALTER TABLE shifts ADD COLUMN closes_at INTEGER;
