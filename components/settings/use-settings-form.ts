"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionFailure, ActionResult, FormAction } from "@/lib/actions/result";

export type SettingsFormHandlers<T> = {
  /** Runs as the result arrives (close the dialog, toast), in the same transition. */
  onSuccess?: (data: T) => void;
  /** For forms with nowhere to show an error inline (a lone button). */
  onFailure?: (failure: ActionFailure) => void;
};

/**
 * useActionState for the settings dialogs. Submits from onSubmit rather than
 * <form action>, because React resets a form after an action and the person
 * would lose what they typed to a validation error.
 */
export function useSettingsForm<T>(action: FormAction<T>, { onSuccess, onFailure }: SettingsFormHandlers<T> = {}) {
  const [state, dispatch, pending] = useActionState<ActionResult<T> | undefined, FormData>(async (previous, form) => {
    const result = await action(previous, form);
    if (result.ok) onSuccess?.(result.data);
    else onFailure?.(result);
    return result;
  }, undefined);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  }

  const failed = state && !state.ok ? state : undefined;
  return {
    state,
    pending,
    onSubmit,
    fieldError: (name: string) => failed?.fieldErrors?.[name],
    // A field error is shown at its field; the alert is for errors no field owns.
    formError: failed && !failed.fieldErrors ? failed.error : undefined,
  };
}
