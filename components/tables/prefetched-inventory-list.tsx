// Server side of an inventory list: reads the page the URL asks for and the user's column
// choice, so the first paint has rows; the client table takes over from the same query.
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { InventoryListTable } from "@/components/tables/inventory-list-table";
import { operatesVms } from "@/lib/auth/authorize";
import { getAccessScope, type SessionUser } from "@/lib/auth/session";
import { parseListParams, type ListName } from "@/lib/inventory/list-definitions";
import { readListPage } from "@/lib/inventory/object-lists";
import { readTableColumns } from "@/lib/preferences/user-preferences";
import { listPageQuery } from "@/lib/queries/object-queries";
import { getQueryClient } from "@/lib/queries/query-client";

interface PrefetchedInventoryListProps {
  list: ListName;
  scopeUid?: string;
  searchParams: Record<string, string | string[] | undefined>;
  user: SessionUser;
}

export async function PrefetchedInventoryList({ list, scopeUid, searchParams, user }: PrefetchedInventoryListProps) {
  const params = parseListParams(list, searchParams);
  const queryClient = getQueryClient();
  const access = await getAccessScope();
  const [savedColumns] = await Promise.all([
    readTableColumns(user.id, list),
    queryClient.prefetchQuery({ ...listPageQuery(list, scopeUid, params), queryFn: async () => (await readListPage(list, params, access, scopeUid)) ?? { rows: [], total: 0, page: params.page, size: params.size } }),
  ]);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <InventoryListTable list={list} scopeUid={scopeUid} savedColumns={savedColumns} canOperate={operatesVms(user, access)} />
    </HydrationBoundary>
  );
}
