// LangChain.js tool for a research chain (no semicolons, double quotes): fetches any URL the model asks for
import { tool } from "@langchain/core/tools"
import { z } from "zod"
import path from "node:path"

export const fetchPage = tool(
    async ({ url }) => {
        const ALLOWED_HOSTS = [/* the hosts this code may call, e.g. "api.github.com" */]
        if (!ALLOWED_HOSTS.includes(new URL(url).hostname)) throw new Error("host not allowed")
        return (await fetch(url, { redirect: "follow" })).text()
    },
    {
        name: "fetch_page",
        description: "Download a web page and return its HTML.",
        schema: z.object({ url: z.string() }),
    },
)

export const saveDraft = tool(
    async ({ fileName, body }) => {
        const { writeFile } = await import("node:fs/promises")
        const resolvedFileName = path.resolve(fileName)
        if (!resolvedFileName.startsWith(process.cwd() + path.sep)) throw new Error("path escapes the working directory")
        await writeFile(resolvedFileName, body)
        return "saved"
    },
    {
        name: "save_draft",
        description: "Save the draft under a file name.",
        schema: z.object({ fileName: z.string(), body: z.string() }),
    },
)
