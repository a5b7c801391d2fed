-- Names and e-mails of people, for the pages that show who did what (accounts, audit
-- log, a round's status history). auth.users is not readable by request roles, so this
-- security-definer function applies the tenancy rule itself: in a live session, a user
-- sees the people who hold a membership in an org of his subtree, and himself (a unit
-- contact: his unit's accounts; a partner's staff: his org's; an auditor: also the staff of
-- the partners attached to his subtree).

create function private.people_directory()
  returns table (user_id uuid, display_name text, email text)
  language sql stable security definer set search_path = ''
as $$
  select u.id, coalesce(u.raw_user_meta_data ->> 'display_name', u.email)::text, u.email::text
    from auth.users u, private.active_membership() a
   where u.id = a.user_id
      or exists (
        select 1 from public.memberships m
         where m.user_id = u.id
           and case a.role
                 -- An inspected unit's people see their own unit's accounts only, and a
                 -- partner's staff their own org's: never the offices' people.
                 when 'unit_contact' then m.unit_id = a.unit_id
                 when 'partner_staff' then m.org_id = a.org_id
                 -- An auditor names whoever left a row he reads (partners' staff too).
                 when 'audit_admin' then m.org_id = any ((select private.auditable_org_ids())::int[])
                 else m.org_id = any ((select private.visible_org_ids())::int[])
               end
      )
$$;

revoke execute on function private.people_directory() from public, anon;
grant execute on function private.people_directory() to authenticated;
