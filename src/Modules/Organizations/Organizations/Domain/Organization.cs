namespace ChaosModular.Organizations.Domain;

/// <summary>A customer account with the self-service portal switched on: its administrators, members and guests.</summary>
internal sealed class Organization
{
    private Organization() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>
    /// The customer account the self-service portal was switched on for: its licenses and cloud credits are what the
    /// administrators allocate to members and guests, and its invoices stay its own (members never see them).
    /// </summary>
    public string AccountId { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    /// <summary>The support user who set it up.</summary>
    public string CreatedBy { get; private set; } = "";

    public static Organization SetUp(string accountId, string name, string supportUserId, DateTime utcNow) => new()
    {
        Id = Guid.NewGuid(),
        AccountId = accountId,
        Name = name.Trim(),
        CreatedUtc = utcNow,
        CreatedBy = supportUserId,
    };

    public void Rename(string name) => Name = name.Trim();
}

/// <summary>
/// An account's place in an organization. One per account across every organization (a unique index on
/// <see cref="AccountId"/>): an account is administrator, member or guest of at most one.
/// </summary>
internal sealed class Membership
{
    private Membership() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string AccountId { get; private set; } = "";
    public string Email { get; private set; } = "";
    public OrganizationRole Role { get; private set; }
    public DateTime JoinedUtc { get; private set; }

    public static Membership Join(Guid organizationId, string accountId, string email, OrganizationRole role, DateTime utcNow) => new()
    {
        Id = Guid.NewGuid(),
        OrganizationId = organizationId,
        AccountId = accountId,
        Email = email,
        Role = role,
        JoinedUtc = utcNow,
    };

    public void ChangeRole(OrganizationRole role) => Role = role;
}

internal enum InvitationStatus
{
    Pending,
    Accepted,
    Cancelled,
}

/// <summary>
/// An invitation of a registered account to join as member or guest. It expires 7 days after it was (re)sent;
/// the link carries a random token of which only the hash is kept.
/// </summary>
internal sealed class Invitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private Invitation() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string AccountId { get; private set; } = "";
    public string Email { get; private set; } = "";
    public OrganizationRole Role { get; private set; }
    public InvitationStatus Status { get; private set; }
    public string InvitedBy { get; private set; } = "";
    public DateTime SentUtc { get; private set; }
    public DateTime ExpiresUtc { get; private set; }
    public string TokenHash { get; private set; } = "";
    public DateTime? AnsweredUtc { get; private set; }

    public bool IsExpiredAt(DateTime utcNow) => Status == InvitationStatus.Pending && utcNow >= ExpiresUtc;

    public static Invitation Send(Guid organizationId, string accountId, string email, OrganizationRole role, string invitedBy, string tokenHash, DateTime utcNow) =>
        role == OrganizationRole.Administrator
            ? throw new ArgumentOutOfRangeException(nameof(role), "Administrators are appointed by support, not invited.")
            : new()
            {
                Id = Guid.NewGuid(),
                OrganizationId = organizationId,
                AccountId = accountId,
                Email = email,
                Role = role,
                Status = InvitationStatus.Pending,
                InvitedBy = invitedBy,
                SentUtc = utcNow,
                ExpiresUtc = utcNow + Lifetime,
                TokenHash = tokenHash,
            };

    /// <summary>A new link and seven more days; the old link stops working.</summary>
    public void Resend(string tokenHash, DateTime utcNow) => (TokenHash, SentUtc, ExpiresUtc) = (tokenHash, utcNow, utcNow + Lifetime);

    public void Accept(DateTime utcNow) => (Status, AnsweredUtc) = (InvitationStatus.Accepted, utcNow);

    public void Cancel(DateTime utcNow) => (Status, AnsweredUtc) = (InvitationStatus.Cancelled, utcNow);
}
