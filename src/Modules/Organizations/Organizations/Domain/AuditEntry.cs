namespace ChaosModular.Organizations.Domain;

/// <summary>What an administrator or support did to an organization; the audit log lists these.</summary>
internal enum AuditAction
{
    OrganizationSetUp,
    AdministratorAppointed,
    AdministratorRemoved,
    UserInvited,
    InvitationResent,
    InvitationCancelled,
    InvitationAccepted,
    UserRemoved,
    BulkInviteStarted,
    BulkInviteFinished,
    LicenseAllocated,
    LicenseAllocationRevoked,
    CreditsAllocated,
    CreditAllocationChanged,
    CreditAllocationRevoked,
}

/// <summary>
/// One line of an organization's audit log: who did what, when, to which users, with the value before and after
/// where something changed. Written in the same transaction as the change it describes, never edited.
/// </summary>
internal sealed class AuditEntry
{
    /// <summary>Subjects kept per entry: a bulk action names its first users and counts the rest.</summary>
    public const int MaxSubjects = 50;

    private AuditEntry() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public DateTime AtUtc { get; private set; }
    public string ActorAccountId { get; private set; } = "";
    public string ActorEmail { get; private set; } = "";
    public bool ActorIsSupport { get; private set; }
    public AuditAction Action { get; private set; }

    /// <summary>The users the action was about (emails), comma separated; "and N more" past <see cref="MaxSubjects"/>.</summary>
    public string Subjects { get; private set; } = "";
    public int SubjectCount { get; private set; }
    public string? Before { get; private set; }
    public string? After { get; private set; }

    public static AuditEntry Record(Guid organizationId, AuditActor actor, AuditAction action, IReadOnlyCollection<string> subjects,
        string? before, string? after, DateTime utcNow)
    {
        var named = string.Join(", ", subjects.Take(MaxSubjects));
        if (subjects.Count > MaxSubjects)
        {
            named += $" and {subjects.Count - MaxSubjects} more";
        }
        return new()
        {
            Id = Guid.NewGuid(),
            OrganizationId = organizationId,
            AtUtc = utcNow,
            ActorAccountId = actor.AccountId,
            ActorEmail = actor.Email,
            ActorIsSupport = actor.IsSupport,
            Action = action,
            Subjects = named,
            SubjectCount = subjects.Count,
            Before = Truncate(before),
            After = Truncate(after),
        };
    }

    private static string? Truncate(string? value) => value is { Length: > 1000 } ? value[..1000] : value;
}

/// <summary>Who acted: an administrator, support, or the system (a job acting for the administrator who started it).</summary>
internal sealed record AuditActor(string AccountId, string Email, bool IsSupport);
