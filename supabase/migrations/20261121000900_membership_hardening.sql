-- Hardening found by the RLS test suite:
-- 1. Per-schema default privileges cannot take EXECUTE away from PUBLIC (they add to
--    the global default), so revoke it globally for the migration role and sweep.
-- 2. "Own memberships" must also require a live session, like every other table.
-- 3. Separation of duties (三员分立): a system administrator cannot grant himself a
--    membership or change his own, so he cannot give himself business access.

alter default privileges revoke execute on functions from public;
revoke execute on all functions in schema private from public, anon;

create function private.session_user_id() returns uuid
  language sql stable security definer set search_path = ''
as $$ select user_id from private.active_membership() $$;
revoke execute on function private.session_user_id() from public, anon;
grant execute on function private.session_user_id() to authenticated;

drop policy "users see their own memberships, admins their subtree's" on public.memberships;
create policy "users see their own memberships, admins their subtree's"
  on public.memberships for select to authenticated
  using (
    user_id = (select private.session_user_id())
    or org_id = any ((select private.admin_org_ids())::int[])
  );

drop policy "system admins add memberships in their subtree" on public.memberships;
create policy "system admins add others' memberships in their subtree"
  on public.memberships for insert to authenticated
  with check (
    org_id = any ((select private.admin_org_ids())::int[])
    and user_id <> (select private.session_user_id())
  );

drop policy "system admins change memberships in their subtree" on public.memberships;
create policy "system admins change others' memberships in their subtree"
  on public.memberships for update to authenticated
  using (
    org_id = any ((select private.admin_org_ids())::int[])
    and user_id <> (select private.session_user_id())
  )
  with check (
    org_id = any ((select private.admin_org_ids())::int[])
    and user_id <> (select private.session_user_id())
  );

-- The people directory also answers only to a live session.
create or replace function private.people_directory()
  returns table (user_id uuid, display_name text, email text)
  language sql stable security definer set search_path = ''
as $$
  select u.id, coalesce(u.raw_user_meta_data ->> 'display_name', u.email)::text, u.email::text
    from auth.users u
   where u.id = (select private.session_user_id())
      or (
        (select private.active_role()) in ('system_admin', 'audit_admin')
        and exists (
          select 1 from public.memberships m
           where m.user_id = u.id
             and m.org_id = any ((select private.visible_org_ids())::int[])
        )
      )
$$;
