-- Supabase compatibility bootstrap.
--
-- On a Supabase database the `auth` schema, the API roles and auth.uid()/jwt()/role()
-- already exist, and this whole file is a no-op. On a plain PostgreSQL (the embedded
-- default, a government intranet without Docker) it creates what Supabase would
-- provide, with Supabase's own definitions, so every later migration and every RLS
-- policy runs unchanged in both places.

do $bootstrap$
begin
  -- Roles are cluster-wide: create each one only if missing (several databases
  -- in one cluster, e.g. test databases, share them).
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator nologin noinherit;
  end if;
  -- PostgREST's authenticator switches into the API roles per request.
  grant anon, authenticated, service_role to authenticator;

  if exists (select 1 from pg_namespace where nspname = 'auth') then
    return; -- a Supabase database: GoTrue owns the auth schema
  end if;

  create schema auth;
  grant usage on schema auth to anon, authenticated, service_role;

  -- GoTrue-compatible users table (the columns GoTrue reads and writes).
  create table auth.users (
    instance_id uuid,
    id uuid not null primary key,
    aud varchar(255),
    role varchar(255),
    email varchar(255),
    encrypted_password varchar(255),
    email_confirmed_at timestamptz,
    invited_at timestamptz,
    confirmation_token varchar(255),
    confirmation_sent_at timestamptz,
    recovery_token varchar(255),
    recovery_sent_at timestamptz,
    email_change_token_new varchar(255),
    email_change varchar(255),
    email_change_sent_at timestamptz,
    last_sign_in_at timestamptz,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamptz,
    updated_at timestamptz,
    phone text unique default null,
    phone_confirmed_at timestamptz,
    banned_until timestamptz,
    deleted_at timestamptz,
    is_sso_user boolean not null default false,
    is_anonymous boolean not null default false
  );
  create unique index users_email_partial_key on auth.users (email) where is_sso_user = false;
  alter table auth.users enable row level security;

  -- GoTrue-compatible sessions: one row per login; the JWT carries its id as session_id.
  -- Deleting the row revokes the session at once (the RLS helpers check it).
  create table auth.sessions (
    id uuid not null primary key,
    user_id uuid not null references auth.users (id) on delete cascade,
    created_at timestamptz,
    updated_at timestamptz,
    factor_id uuid,
    aal text,
    not_after timestamptz,
    refreshed_at timestamp,
    user_agent text,
    ip inet,
    tag text
  );
  create index sessions_user_id_idx on auth.sessions (user_id);
  alter table auth.sessions enable row level security;

  -- Supabase's definitions, verbatim in behaviour.
  create function auth.uid() returns uuid
    language sql stable
    as $fn$
      select coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
      )::uuid
    $fn$;

  create function auth.role() returns text
    language sql stable
    as $fn$
      select coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
      )::text
    $fn$;

  create function auth.jwt() returns jsonb
    language sql stable
    as $fn$
      select coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
      )::jsonb
    $fn$;

  grant execute on function auth.uid(), auth.role(), auth.jwt() to anon, authenticated, service_role;
end
$bootstrap$;
