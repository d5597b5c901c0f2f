using System.Text.Json;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>
/// The integration events a module's outbox holds, read back as the type the module published (the outbox row's type
/// name, then its payload deserialised as the handlers read it), so a test filters them by the property that names
/// their subject (an invoice id, a user id), not by a string found anywhere in the JSON.
/// </summary>
public static class PublishedEvents
{
    public static async Task<IReadOnlyList<TEvent>> OfAsync<TEvent>(DbContext moduleDb, Func<TEvent, bool> about)
    {
        var type = typeof(TEvent).FullName!;
        var payloads = await moduleDb.Set<OutboxMessage>().Where(m => m.Type == type).Select(m => m.Payload).ToListAsync();
        return payloads
            .Select(payload => JsonSerializer.Deserialize<TEvent>(payload) ?? throw new InvalidOperationException($"An empty {type} payload."))
            .Where(about)
            .ToList();
    }
}
