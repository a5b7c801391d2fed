-- Session and account rules required by 等保 (MLPS 2.0), kept in the database so they
-- hold for both auth providers: failed-login lockout and password age.
-- Only the auth service (the privileged module) reads or writes this table.

create table private.account_security (
  user_id uuid primary key references auth.users (id) on delete cascade,
  failed_attempts int not null default 0 check (failed_attempts >= 0),
  locked_until timestamptz,
  password_changed_at timestamptz not null default now(),
  must_change_password boolean not null default false
);

alter table private.account_security enable row level security;
alter table private.account_security force row level security;
