-- +goose Up
-- A sales line's share of a threshold promotion (满减), in cents. The
-- pricing engine splits the promotion over the lines in its scope only; kept
-- in the documents' whole-bill discount it was spread over every line
-- (exclusive-promotion lines included), so those lines' amounts, their
-- returns' refunds and their profit were wrong although the bill's total
-- was right (domain/tax.go, R4a).
ALTER TABLE document_lines ADD COLUMN promo_discount INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE document_lines DROP COLUMN promo_discount;
