import { route } from "@/lib/api/http";
import { openApiDocument } from "@/lib/api/openapi";

/** GET /api/openapi.json: the API's OpenAPI 3.0 document, generated from the zod schemas. Public, like any API reference. */
export const GET = route(async function GET(request: Request): Promise<Response> {
  return Response.json(openApiDocument(new URL(request.url).origin), { headers: { "Cache-Control": "public, max-age=300" } });
});
