using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Modules.Abstractions.Outbox;

/// <summary>An integration event waiting in (or dispatched from) its publisher's schema.</summary>
public sealed class OutboxMessage
{
    private OutboxMessage() { }

    public Guid Id { get; private set; }
    public string Type { get; private set; } = "";
    public string Payload { get; private set; } = "";
    public DateTime OccurredUtc { get; private set; }
    public DateTime? DispatchedUtc { get; private set; }

    public static OutboxMessage From(IIntegrationEvent integrationEvent) => new()
    {
        Id = integrationEvent.EventId,
        Type = integrationEvent.GetType().FullName!,
        Payload = JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType()),
        OccurredUtc = integrationEvent.OccurredUtc,
    };

    public void MarkDispatched(DateTime utcNow) => DispatchedUtc = utcNow;
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
        });
        return modelBuilder;
    }

    /// <summary>Adds the event to the outbox; it is saved (or not) with the rest of the unit of work.</summary>
    public static void Publish(this IOutboxContext context, IIntegrationEvent integrationEvent) =>
        context.OutboxMessages.Add(OutboxMessage.From(integrationEvent));
}
