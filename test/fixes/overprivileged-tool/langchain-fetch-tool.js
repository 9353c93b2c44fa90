// LangChain.js tool for a research chain (no semicolons, double quotes): fetches any URL the model asks for
import { tool } from "@langchain/core/tools"
import { z } from "zod"

export const fetchPage = tool(
    async ({ url }) => (await fetch(url, { redirect: "follow" })).text(),
    {
        name: "fetch_page",
        description: "Download a web page and return its HTML.",
        schema: z.object({ url: z.string() }),
    },
)

export const saveDraft = tool(
    async ({ fileName, body }) => {
        const { writeFile } = await import("node:fs/promises")
        await writeFile(fileName, body)
        return "saved"
    },
    {
        name: "save_draft",
        description: "Save the draft under a file name.",
        schema: z.object({ fileName: z.string(), body: z.string() }),
    },
)
