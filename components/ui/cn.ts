import { clsx, type ClassValue } from "clsx";

/**
 * Joins class names. There is no tailwind-merge here, so a caller's className
 * only overrides a base utility when it is more specific or comes later in the
 * generated CSS; prefer props (variant, size) over conflicting utilities.
 */
export function cn(...inputs: ClassValue[]): string {
  return clsx(inputs);
}
