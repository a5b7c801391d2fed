-- Append-only audit log. Every write through the app records one row in the same
-- transaction; failures are recorded after the rollback. Nobody can change or
-- remove a row, the table owner included (row and statement triggers).

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default clock_timestamp(),
  user_id uuid,
  org_id int references public.orgs (id),
  province_id int,
  action text not null check (length(action) between 1 and 80),
  object_type text check (length(object_type) <= 80),
  object_id text check (length(object_id) <= 200),
  success boolean not null,
  request_id text check (length(request_id) <= 100),
  detail jsonb
);
create index audit_log_org_id_occurred_at_idx on public.audit_log (org_id, occurred_at desc);
create index audit_log_user_id_idx on public.audit_log (user_id);
create index audit_log_occurred_at_idx on public.audit_log (occurred_at desc);

alter table public.audit_log enable row level security;
alter table public.audit_log force row level security;

create function private.audit_log_is_append_only() returns trigger
  language plpgsql set search_path = ''
as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '42501';
end;
$$;

create trigger audit_log_no_update_or_delete
  before update or delete on public.audit_log
  for each row execute function private.audit_log_is_append_only();
create trigger audit_log_no_truncate
  before truncate on public.audit_log
  for each statement execute function private.audit_log_is_append_only();

-- The writer's identity and org come from the database, never from the app.
create function private.audit_log_before_insert() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  new.occurred_at := clock_timestamp();
  if new.org_id is not null then
    new.province_id := (select o.province_id from public.orgs o where o.id = new.org_id);
  end if;
  return new;
end;
$$;
create trigger audit_log_before_insert
  before insert on public.audit_log
  for each row execute function private.audit_log_before_insert();

revoke all on public.audit_log from anon, authenticated;
grant select, insert on public.audit_log to authenticated;

create policy "audit administrators read their subtree's audit log"
  on public.audit_log for select to authenticated
  using (org_id = any ((select private.auditable_org_ids())::int[]));

create policy "users record their own actions under their active org"
  on public.audit_log for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and org_id = (select private.active_org_id())
  );
