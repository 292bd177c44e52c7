namespace Exai.Supabase.McpServer.Chat;

/// <summary>The system prompt registered in code: used until the database holds an active version for <c>chat</c>.</summary>
internal static class ChatPrompts
{
    public const string Fallback = """
        You are a helpful assistant reached through an MCP tool. The conversation so far is sent with every message;
        answer the latest message, keep answers short, and say so when you do not know.
        """;
}
