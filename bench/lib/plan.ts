/** The parts of an `EXPLAIN (FORMAT JSON)` node this bench reads. */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Alias?: string;
  "Index Name"?: string;
  "Scan Direction"?: string;
  "Parallel Aware"?: boolean;
  "Plan Rows"?: number;
  "Sort Key"?: string[];
  Plans?: PlanNode[];
}

export interface AccessPath {
  table: string;
  alias: string;
  /** Index Scan, Index Only Scan, Bitmap Heap Scan, Seq Scan, ... */
  method: string;
  indexes: string[];
  backward: boolean;
  parallel: boolean;
}

export interface PlanSummary {
  paths: AccessPath[];
  /** Sorts of more than a page: the order did not come from an index, so every matching row was read first. */
  sorts: Array<{ node: string; key: string; inputRows: number }>;
}

// The tables whose full scan would grow with the customer base.
export const BIG_TABLES = new Set(["customers", "customer_consents", "audience_memberships"]);

/** One access path per table reference, reading Bitmap Heap Scans through to their Bitmap Index Scans. */
export function summarizePlan(root: PlanNode, pageRows: number): PlanSummary {
  const paths: AccessPath[] = [];
  const sorts: PlanSummary["sorts"] = [];
  const indexesBelow = (node: PlanNode): string[] =>
    (node.Plans ?? []).flatMap((child) => [...(child["Index Name"] ? [child["Index Name"]] : []), ...indexesBelow(child)]);
  const visit = (node: PlanNode) => {
    const type = node["Node Type"];
    // A sort of about a page is harmless; a bigger one means every match is read before the first row
    // comes out. (An Incremental Sort reads its presorted input only as far as the LIMIT needs.)
    if (type === "Sort" && (node.Plans?.[0]?.["Plan Rows"] ?? 0) > pageRows) {
      sorts.push({ node: type, key: (node["Sort Key"] ?? []).join(", "), inputRows: node.Plans?.[0]?.["Plan Rows"] ?? 0 });
    }
    if (node["Relation Name"]) {
      paths.push({
        table: node["Relation Name"],
        alias: node.Alias ?? node["Relation Name"],
        method: type,
        indexes: node["Index Name"] ? [node["Index Name"]] : type === "Bitmap Heap Scan" ? indexesBelow(node) : [],
        backward: node["Scan Direction"] === "Backward",
        parallel: node["Parallel Aware"] === true,
      });
      return; // a Bitmap Heap Scan's children are its own index scans, already read
    }
    node.Plans?.forEach(visit);
  };
  visit(root);
  return { paths, sorts };
}

export function describePath(p: AccessPath): string {
  const how = `${p.parallel ? "Parallel " : ""}${p.method}${p.indexes.length ? ` ${p.indexes.join(" + ")}` : ""}${p.backward ? " (backward)" : ""}`;
  return `${p.alias}: ${how}`;
}

export const isSeqScanOnBigTable = (p: AccessPath) => p.method === "Seq Scan" && BIG_TABLES.has(p.table);
