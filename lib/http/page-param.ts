// The 1-based `page` search param of a paged route, with anything malformed read as page 1.
export function pageParam(request: Request): number {
  const page = Number(new URL(request.url).searchParams.get("page"));
  return Number.isInteger(page) && page >= 1 ? page : 1;
}
