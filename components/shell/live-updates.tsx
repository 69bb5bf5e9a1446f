"use client";
// Keeps the signed-in console's query cache in step with the database (see lib/live). When the
// session ends (signed out elsewhere, a password reset, the user disabled), the browser goes to
// the sign-in page at once, to come back here afterwards.
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { syncQueriesWithLiveUpdates } from "@/lib/live/live-query-sync";

export function LiveUpdates() {
  const queryClient = useQueryClient();
  const router = useRouter();
  useEffect(
    () =>
      syncQueriesWithLiveUpdates(queryClient, {
        onSignedOut: () => router.replace(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`),
      }),
    [queryClient, router],
  );
  return null;
}
