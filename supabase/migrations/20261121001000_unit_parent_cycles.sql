-- A unit's parent chain must not loop (A -> B -> A), not just avoid pointing at itself.
create or replace function private.units_before_write() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  new.province_id := (select o.province_id from public.orgs o where o.id = new.org_id);
  if new.parent_unit_id is not null and not exists (
    select 1 from public.units p where p.id = new.parent_unit_id and p.org_id = new.org_id
  ) then
    raise exception 'parent unit must belong to the same org' using errcode = '23503';
  end if;
  if new.parent_unit_id is not null and tg_op = 'UPDATE' and exists (
    with recursive chain (id, depth) as (
      select new.parent_unit_id, 1
      union all
      select p.parent_unit_id, c.depth + 1
        from chain c join public.units p on p.id = c.id
       where p.parent_unit_id is not null and c.depth < 100
    )
    select 1 from chain where id = new.id
  ) then
    raise exception 'a unit cannot sit under itself' using errcode = '23514';
  end if;
  if tg_op = 'INSERT' then
    new.created_at := now();
    new.created_by := (select auth.uid());
  else
    new.created_at := old.created_at;
    new.created_by := old.created_by;
  end if;
  new.updated_at := now();
  new.updated_by := (select auth.uid());
  return new;
end;
$$;
revoke execute on function private.units_before_write() from public, anon;
