-- Idle timeout and password age (等保), checked inside every request transaction so
-- they hold for both auth providers. The activity table is ours, not GoTrue's.

create table private.session_activity (
  session_id uuid primary key references auth.sessions (id) on delete cascade,
  last_seen_at timestamptz not null default now()
);
alter table private.session_activity enable row level security;
alter table private.session_activity force row level security;

-- 'ok', 'revoked' (no live session: logged out, expired, account disabled) or 'idle'.
-- Touches the activity row at most every 30 seconds so reads stay cheap.
create function private.touch_session(idle_seconds int, password_max_age_days int)
  returns table (status text, password_expired boolean)
  language plpgsql volatile security definer set search_path = ''
as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  sid uuid := (claims ->> 'session_id')::uuid;
  uid uuid := (claims ->> 'sub')::uuid;
  seen timestamptz;
begin
  if not exists (select 1 from private.active_membership()) then
    return query select 'revoked'::text, false;
    return;
  end if;
  select a.last_seen_at into seen from private.session_activity a where a.session_id = sid;
  if seen is not null and seen < now() - make_interval(secs => idle_seconds) then
    return query select 'idle'::text, false;
    return;
  end if;
  insert into private.session_activity as a (session_id, last_seen_at) values (sid, now())
  on conflict (session_id) do update set last_seen_at = now()
   where a.last_seen_at < now() - interval '30 seconds';
  return query
    select 'ok'::text,
           coalesce((select s.must_change_password
                            or s.password_changed_at < now() - make_interval(days => password_max_age_days)
                       from private.account_security s where s.user_id = uid), false);
end;
$$;

revoke execute on function private.touch_session(int, int) from public, anon;
grant execute on function private.touch_session(int, int) to authenticated;
