"use client";
// What an object's Actions menu offers, read again while one of its dialogs is open: the page's
// menu may come from a prefetch made before a choice existed (a folder made since), so a dialog
// offering choices (Move To, Move To Folder) uses this answer once it has arrived.
import { useQuery } from "@tanstack/react-query";
import type { ObjectActions } from "@/lib/inventory/object-actions";
import { objectActionsQuery } from "@/lib/queries/object-queries";

export function useFreshActions(uid: string, open: boolean): ObjectActions | null | undefined {
  return useQuery({ ...objectActionsQuery(uid), enabled: open }).data?.actions;
}
