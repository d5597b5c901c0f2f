
namespace ChaosModular.CloudCredits.Domain;

/// <summary>
/// Credits a service spent for a user, once per (<see cref="Service"/>, <see cref="RequestId"/>): a unique index makes
/// a replayed request find this row and answer what it answered first. The content (<see cref="Account"/> as sent,
/// <see cref="Credits"/>, <see cref="Description"/>) is kept so a replay that differs is told apart.
/// </summary>
internal sealed class CreditDebit
{
    public const int MaxServiceLength = 64;
    public const int MaxRequestIdLength = 100;
    public const int MaxAccountLength = 256;
    public const int MaxDescriptionLength = 200;

    private CreditDebit() { }

    public Guid Id { get; private set; }
    public string Service { get; private set; } = "";
    public string RequestId { get; private set; } = "";

    /// <summary>The account as the service named it (a user id, or an email in lower case).</summary>
    public string Account { get; private set; } = "";

    public string UserId { get; private set; } = "";
    public CreditPool Pool { get; private set; }

    /// <summary>The account whose grants paid.</summary>
    public string PoolAccountId { get; private set; } = "";

    public Guid? AllocationId { get; private set; }
    public decimal Credits { get; private set; }
    public string Description { get; private set; } = "";
    public DateTime AtUtc { get; private set; }

    /// <summary>What the user could still spend right after this debit.</summary>
    public decimal AvailableAfter { get; private set; }

    public List<CreditDebitPart> Parts { get; private set; } = [];

    public static CreditDebit Record(string service, string requestId, string account, string userId, CreditPool pool, string poolAccountId,
        Guid? allocationId, decimal credits, string description, DateTime utcNow) => new()
    {
        Id = Guid.NewGuid(),
        Service = service,
        RequestId = requestId,
        Account = account,
        UserId = userId,
        Pool = pool,
        PoolAccountId = poolAccountId,
        AllocationId = allocationId,
        Credits = credits,
        Description = description,
        // Whole microseconds, what every database keeps: a replay then answers the very same time.
        AtUtc = new DateTime(utcNow.Ticks - utcNow.Ticks % 10, DateTimeKind.Utc),
    };

    public bool SameContent(string account, decimal credits, string description) =>
        Account == account && Credits == credits && Description == description;

    public void Paid(IEnumerable<GrantTake> takes, decimal availableAfter)
    {
        Parts.AddRange(takes.Select(t => new CreditDebitPart(Id, t.GrantId, t.Credits)));
        AvailableAfter = availableAfter;
    }
}

/// <summary>The credits a debit took from one grant.</summary>
internal sealed class CreditDebitPart
{
    private CreditDebitPart() { }

    public CreditDebitPart(Guid debitId, Guid grantId, decimal credits)
    {
        Id = Guid.NewGuid();
        DebitId = debitId;
        GrantId = grantId;
        Credits = credits;
    }

    public Guid Id { get; private set; }
    public Guid DebitId { get; private set; }
    public Guid GrantId { get; private set; }
    public decimal Credits { get; private set; }
}
