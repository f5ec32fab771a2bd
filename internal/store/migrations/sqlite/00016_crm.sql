-- +goose Up
-- Light CRM on the customer's page: a follow-up log (跟进记录) with the next
-- action, its date, and whether it is done. The due next actions are the
-- reminders on the home page.
CREATE TABLE partner_followups (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies(id),
    partner_id  INTEGER NOT NULL REFERENCES partners(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    day         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    next_action TEXT NOT NULL DEFAULT '',
    next_date   TEXT,
    done        BOOLEAN NOT NULL DEFAULT FALSE,
    done_at     TIMESTAMP,
    done_by     INTEGER REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL
);
-- A partner's log, newest first.
CREATE INDEX partner_followups_partner ON partner_followups(company_id, partner_id, day, id);
-- Reminders: open next actions by date, the user's own and everyone's.
-- Partial, so the index holds only what is still to do.
CREATE INDEX partner_followups_due_user ON partner_followups(company_id, user_id, next_date)
    WHERE done = FALSE AND next_date IS NOT NULL;
CREATE INDEX partner_followups_due ON partner_followups(company_id, next_date)
    WHERE done = FALSE AND next_date IS NOT NULL;

-- +goose Down
DROP TABLE partner_followups;
