"use client";
// Keeps the signed-in console's query cache in step with the database (see lib/live).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { syncQueriesWithLiveUpdates } from "@/lib/live/live-query-sync";

export function LiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => syncQueriesWithLiveUpdates(queryClient), [queryClient]);
  return null;
}
