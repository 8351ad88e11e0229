-- Mutual TLS for service accounts (RFC 8705 tls_client_auth): an account with a subject DN
-- authenticates with a client certificate of that subject, issued by a configured client CA, and
-- never with its secret; every token it gets is bound to the certificate.
alter table service_accounts add column tls_subject_dn varchar(1024);
