import { Link } from "@remix-run/react";
import { Button, Flex } from "@radix-ui/themes";

/** 上一页 / 下一页 under a paged list; `href(n)` is the URL of page n. */
export function Pager({ page, pages, href, prev = "上一页", next = "下一页" }: {
  page: number; pages: number; href: (page: number) => string; prev?: string; next?: string;
}) {
  return (
    <Flex justify="end" gap="2" mt="3">
      {page > 1 ? <Button asChild variant="soft"><Link to={href(page - 1)}>{prev}</Link></Button> : null}
      {page < pages ? <Button asChild variant="soft"><Link to={href(page + 1)}>{next}</Link></Button> : null}
    </Flex>
  );
}
