using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Modules.Infrastructure.Outbox;

/// <summary>An integration event waiting in (or dispatched from) its publisher's schema.</summary>
public sealed class OutboxMessage
{
    private OutboxMessage() { }

    public Guid Id { get; private set; }
    public string Type { get; private set; } = "";
    public string Payload { get; private set; } = "";
    public DateTime OccurredUtc { get; private set; }
    /// <summary>When its handler jobs were last enqueued.</summary>
    public DateTime? DispatchedUtc { get; private set; }

    /// <summary>When every subscribed handler had run to completion.</summary>
    public DateTime? CompletedUtc { get; private set; }

    public static OutboxMessage From(IIntegrationEvent integrationEvent) => new()
    {
        Id = integrationEvent.EventId,
        Type = integrationEvent.GetType().FullName!,
        Payload = JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType()),
        OccurredUtc = integrationEvent.OccurredUtc,
    };

    public void MarkDispatched(DateTime utcNow) => DispatchedUtc = utcNow;

    public void MarkCompleted(DateTime utcNow) => CompletedUtc ??= utcNow;
}

/// <summary>One handler finished one message: the record that makes a re-delivered handler job a no-op.</summary>
public sealed class OutboxHandled
{
    private OutboxHandled() { }

    public OutboxHandled(Guid messageId, string handlerKey, DateTime handledUtc)
    {
        MessageId = messageId;
        HandlerKey = handlerKey;
        HandledUtc = handledUtc;
    }

    public Guid MessageId { get; private set; }
    public string HandlerKey { get; private set; } = "";
    public DateTime HandledUtc { get; private set; }
}

/// <summary>A module DbContext that can publish integration events.</summary>
public interface IOutboxContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
}

public static class OutboxModelBuilderExtensions
{
    /// <summary>Maps the outbox table into the module's default schema.</summary>
    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(b =>
        {
            b.ToTable("outbox_messages");
            b.HasKey(m => m.Id);
            b.Property(m => m.Id).ValueGeneratedNever();
            b.Property(m => m.Type).HasMaxLength(300).IsRequired();
            b.Property(m => m.Payload).IsRequired();
            b.HasIndex(m => m.DispatchedUtc);
            b.HasIndex(m => m.CompletedUtc);
        });
        modelBuilder.Entity<OutboxHandled>(b =>
        {
            b.ToTable("outbox_handled");
            b.HasKey(h => new { h.MessageId, h.HandlerKey });
            b.Property(h => h.HandlerKey).HasMaxLength(300);
        });
        return modelBuilder;
    }

    /// <summary>Adds the event to the outbox; it is saved (or not) with the rest of the unit of work.</summary>
    public static void Publish(this IOutboxContext context, IIntegrationEvent integrationEvent) =>
        context.OutboxMessages.Add(OutboxMessage.From(integrationEvent));
}
