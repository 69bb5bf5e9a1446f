// Query keys and browser-side fetchers for health: Home's dashboard, triggered alarms, an
// object's performance charts and the Events views. Metrics reads depend on the leader's one
// notice per sample round; alarms on their own notices.
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { alarmFilterSearch, type AlarmFilter } from "@/lib/inventory/alarm-filter";
import type { AlarmCounts, TriggeredAlarms } from "@/lib/inventory/alarm-reads";
import type { ClusterTrends, TrendRange } from "@/lib/inventory/cluster-trends";
import type { Dashboard } from "@/lib/inventory/dashboard-reads";
import { eventFilterSearch, type EventFilter } from "@/lib/inventory/event-filter";
import type { EventRow } from "@/lib/inventory/event-reads";
import type { ActivityPage } from "@/lib/inventory/object-activity";
import type { PerformanceRange, PerformanceSeries } from "@/lib/inventory/performance-reads";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export const healthKeys = {
  dashboard: () => ["health", "dashboard"] as const,
  trends: (range: TrendRange) => ["health", "trends", range] as const,
  alarmsAll: () => ["health", "alarms"] as const,
  alarms: (uid: string | null, filter: AlarmFilter = {}) => [...healthKeys.alarmsAll(), uid ?? "all", filter] as const,
  alarmCounts: () => [...healthKeys.alarmsAll(), "counts"] as const,
  performance: (uid: string, range: PerformanceRange, from?: string, to?: string, level?: number) => ["health", "performance", uid, range, from ?? "", to ?? "", level ?? "auto"] as const,
  events: (uid: string | null, filter: EventFilter, page: number) => ["events", uid ?? "all", filter, page] as const,
  eventTypes: () => ["events", "types"] as const,
};

export const dashboardQuery = () =>
  queryOptions({
    queryKey: healthKeys.dashboard(),
    queryFn: () => fetchJson<Dashboard>("/api/dashboard"),
    meta: { live: [live.metrics(), live.tasks(), live.objects("Cluster"), live.objects("Datastore")] },
  });

/** Each cluster's trends: a new sample round (the metrics notice) adds a point. */
export const clusterTrendsQuery = (range: TrendRange) =>
  queryOptions({
    queryKey: healthKeys.trends(range),
    queryFn: () => fetchJson<ClusterTrends>(`/api/dashboard/trends?range=${range}`),
    placeholderData: keepPreviousData,
    meta: { live: [live.metrics(), live.objects("Cluster")] },
  });

export const triggeredAlarmsQuery = (uid: string | null, filter: AlarmFilter = {}) => {
  const search = alarmFilterSearch(filter);
  if (uid) search.set("uid", uid);
  return queryOptions({
    queryKey: healthKeys.alarms(uid, filter),
    queryFn: () => fetchJson<TriggeredAlarms>(`/api/alarms?${search}`),
    placeholderData: keepPreviousData,
    meta: { live: [uid ? live.alarmsOf(uid) : live.alarms()] },
  });
};

export const alarmCountsQuery = () =>
  queryOptions({
    queryKey: healthKeys.alarmCounts(),
    queryFn: () => fetchJson<AlarmCounts>("/api/alarms/counts"),
    meta: { live: [live.alarms()] },
  });

export const performanceQuery = (uid: string, range: PerformanceRange, from?: string, to?: string, level?: number) => {
  const search = new URLSearchParams({ range });
  if (level !== undefined) search.set("level", String(level));
  if (range === "custom" && from && to) {
    search.set("from", from);
    search.set("to", to);
  }
  return queryOptions({
    queryKey: healthKeys.performance(uid, range, from, to, level),
    queryFn: () => fetchJson<PerformanceSeries>(`/api/objects/${uid}/performance?${search}`),
    placeholderData: keepPreviousData,
    // A custom range in the past does not change; the others move with every sample round.
    meta: { live: range === "custom" ? [] : [live.metrics()] },
  });
};

export const eventsQuery = (uid: string | null, filter: EventFilter, page: number) => {
  const search = eventFilterSearch(filter);
  search.set("page", String(page));
  return queryOptions({
    queryKey: healthKeys.events(uid, filter, page),
    queryFn: () => fetchJson<ActivityPage<EventRow>>(uid ? `/api/objects/${uid}/events?${search}` : `/api/events?${search}`),
    placeholderData: keepPreviousData,
    meta: { live: [uid ? live.eventsOf(uid) : live.events()] },
  });
};

export const eventTypesQuery = () =>
  queryOptions({
    queryKey: healthKeys.eventTypes(),
    queryFn: () => fetchJson<string[]>("/api/events/types"),
    staleTime: 60_000,
  });
