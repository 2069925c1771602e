-- Write keys get kinds, scopes, rotation and last use (issue 17, docs/SECURITY.md).
-- Every existing key becomes a client key: tracking calls only. That only takes rights away (such a
-- key could erase, change consent and import before), never grants any, and a key that may already
-- sit in a browser script must not keep them. A back end that used one for erasure, consent or imports
-- needs a server key granted the scope, or a bearer token.
alter table write_key add column kind varchar(6) not null default 'client';
alter table write_key alter column kind drop default;
alter table write_key add constraint write_key_kind check (kind in ('client', 'server'));
-- granted scopes, space-separated like an OAuth2 scope; a client key holds none
alter table write_key add column scopes varchar(200) not null default '';
alter table write_key add constraint write_key_client_has_no_scope check (kind = 'server' or scopes = '');
-- rotation: the old secret stays valid until previous_valid_until (one old secret at a time)
alter table write_key add column rotated_at timestamptz;
alter table write_key add column previous_key_sha256 char(64) unique;
alter table write_key add column previous_valid_until timestamptz;
-- last use, coarse (written at most once a minute per key and replica), of the key and of its old secret
alter table write_key add column last_used_at timestamptz;
alter table write_key add column previous_last_used_at timestamptz;
