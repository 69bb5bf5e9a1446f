import { NotFoundError } from "@/lib/errors";
import { getAccessScope } from "@/lib/auth/session";
import { csvDownload, EXPORT_CHUNK_ROWS } from "@/lib/export/csv-response";
import { withUser } from "@/lib/http/route-handler";
import { strictSearchParams } from "@/lib/http/search-params";
import { LIST_COLUMNS, LIST_NAMES, type ListName } from "@/lib/inventory/list-definitions";
import { listExportSchema } from "@/lib/inventory/list-export-params";
import { readListExport } from "@/lib/inventory/object-lists";

// GET /api/lists/vms/export?scope=<uid>&q=&sort=&dir=&power=&namespace=&columns=name,host: the
// whole list, every page of it, as CSV. Sees what the list sees; refuses a param it cannot honour.
export const GET = withUser(async (request, _user, { params }: RouteContext<"/api/lists/[list]/export">) => {
  const { list } = await params;
  if (!(LIST_NAMES as readonly string[]).includes(list)) throw new NotFoundError(`There is no list named "${list}".`);
  const definitions = LIST_COLUMNS[list as ListName];
  const { scope, columns: chosen, ...filter } = strictSearchParams(listExportSchema(list as ListName), new URL(request.url).searchParams);
  const columns = chosen ?? definitions.filter((column) => column.defaultVisible).map((column) => column.id);
  const chunks = await readListExport(list as ListName, filter, await getAccessScope(), columns, EXPORT_CHUNK_ROWS, scope);
  if (!chunks) throw new NotFoundError("The object this list belongs to does not exist, or is not in one of your namespaces.");
  const header = columns.map((id) => {
    const column = definitions.find((candidate) => candidate.id === id)!;
    return column.unit ? `${column.label} (${column.unit})` : column.label;
  });
  return csvDownload({ subject: list, header, chunks, signal: request.signal });
});
