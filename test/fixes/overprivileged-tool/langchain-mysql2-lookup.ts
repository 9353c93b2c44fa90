// LangChain tool (bound to the model with bindTools) looks customers up with mysql2, building the WHERE clause by hand.
import mysql from 'mysql2/promise';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';

const pool = mysql.createPool({ uri: process.env.CRM_DB_URL ?? 'mysql://localhost/crm', connectionLimit: 4 });

export const findCustomer = tool(
  async ({ country, name }) => {
    const [rows] = await pool.query(
      "SELECT id, name, email, plan FROM customers WHERE country = '" + country + "' AND name LIKE '%" + name + "%' LIMIT 20",
    );
    return JSON.stringify(rows);
  },
  {
    name: 'find_customer',
    description: 'Find customers by country code and part of their name.',
    schema: z.object({ country: z.string(), name: z.string() }),
  },
);

export const crmModel = new ChatOpenAI({ model: 'gpt-4.1-mini' }).bindTools([findCustomer]);
