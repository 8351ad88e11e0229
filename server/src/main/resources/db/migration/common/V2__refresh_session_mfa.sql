-- A refresh-token family remembers whether its session began with a second factor, so a refresh
-- never upgrades a password-only session to MFA (and admin roles) after a later TOTP enrolment.
alter table refresh_tokens add column mfa boolean not null default false;
