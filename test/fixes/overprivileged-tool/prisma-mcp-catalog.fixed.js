// MCP catalog server (JavaScript): product search builds raw SQL for Prisma from the model's arguments.
import { PrismaClient } from '@prisma/client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const prisma = new PrismaClient();
const server = new McpServer({ name: 'catalog', version: '0.4.0' });

server.registerTool(
  'search_products',
  {
    description: 'Search products by category and maximum price.',
    inputSchema: { category: z.string(), maxPrice: z.number() },
  },
  async ({ category, maxPrice }) => {
    const rows = await prisma.$queryRaw`SELECT sku, name, price FROM "Product" WHERE category = ${category} AND price <= ${maxPrice} ORDER BY price`;
    return { content: [{ type: 'text', text: JSON.stringify(rows) }] };
  },
);

await server.connect(new StdioServerTransport());
