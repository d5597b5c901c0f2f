namespace ChaosModular.Organizations.Domain;

internal enum BulkInviteStatus
{
    /// <summary>Uploaded: the administrator reviews the rows and changes roles; nothing is sent yet.</summary>
    Review,

    /// <summary>Send invites was pressed: the job works through the ready rows.</summary>
    Sending,

    /// <summary>Every row has its result; the report email is (being) sent.</summary>
    Finished,
}

/// <summary>What the job did with one row.</summary>
internal enum BulkInviteOutcome
{
    Invited,

    /// <summary>The row was not ready on the review page (its state says why): nothing was sent.</summary>
    Skipped,

    /// <summary>Joined or was invited to this organization between the review and the sending.</summary>
    AlreadyMember,

    AlreadyInvited,

    /// <summary>Joined another organization between the review and the sending.</summary>
    InAnotherOrganization,

    /// <summary>The account was closed between the review and the sending.</summary>
    NotRegistered,
}

/// <summary>
/// An uploaded bulk-invite file and what became of it: reviewed, then sent by a background job that works
/// through its rows. The rows live beside it (<see cref="BulkInviteRow"/>), so the review pages through them and a
/// job that stops half-way resumes where the rows say it stopped.
/// </summary>
internal sealed class BulkInvite
{
    private BulkInvite() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }

    /// <summary>The administrator who uploaded it: the invitations are sent in their name and the report goes to them.</summary>
    public string UploadedBy { get; private set; } = "";
    public string UploadedByEmail { get; private set; } = "";
    public string FileName { get; private set; } = "";
    public int RowCount { get; private set; }
    public DateTime UploadedUtc { get; private set; }
    public BulkInviteStatus Status { get; private set; }
    public DateTime? SendStartedUtc { get; private set; }

    /// <summary>When the job last finished a batch: a sending invite quiet for long lost its job, and the sweep starts another.</summary>
    public DateTime? LastProgressUtc { get; private set; }
    public DateTime? FinishedUtc { get; private set; }
    public DateTime? ReportQueuedUtc { get; private set; }

    public static BulkInvite Upload(Guid organizationId, string uploadedBy, string uploadedByEmail, string fileName, int rowCount, DateTime utcNow) => new()
    {
        Id = Guid.NewGuid(),
        OrganizationId = organizationId,
        UploadedBy = uploadedBy,
        UploadedByEmail = uploadedByEmail,
        FileName = Path.GetFileName(fileName) is { Length: > 0 } name ? name[..Math.Min(name.Length, 200)] : "upload.csv",
        RowCount = rowCount,
        UploadedUtc = utcNow,
        Status = BulkInviteStatus.Review,
    };
}

/// <summary>
/// One row of a bulk-invite file, keyed by its line. What the review found (<see cref="State"/>, from the account
/// lookups kept in <see cref="AccountId"/>, <see cref="InOrganization"/>, <see cref="InAnotherOrganization"/>), and
/// what the job did (<see cref="Outcome"/>, null until then). The outcome is the claim: it is set in the same
/// transaction as the invitation it created, only where it was still null, so no row is ever sent twice.
/// </summary>
internal sealed class BulkInviteRow
{
    public const int MaxEmailLength = 320;
    public const int MaxRoleLength = 40;

    private BulkInviteRow() { }

    public Guid BulkInviteId { get; private set; }
    public int Line { get; private set; }
    public string Email { get; private set; } = "";

    /// <summary>The email upper-cased: rows of one person are found by it, whatever the case in the file.</summary>
    public string EmailKey { get; private set; } = "";
    public string RoleText { get; private set; } = "";
    public OrganizationRole? Role { get; private set; }
    public InviteRowState State { get; private set; }
    public string? AccountId { get; private set; }
    public bool InOrganization { get; private set; }
    public bool InAnotherOrganization { get; private set; }
    public BulkInviteOutcome? Outcome { get; private set; }
    public Guid? InvitationId { get; private set; }

    /// <summary>
    /// The invitation link's token between the commit of the invitation and the queueing of its email, so a job
    /// stopped in between queues the same email (same source key) instead of none; cleared once queued.
    /// </summary>
    public string? PendingToken { get; private set; }
    public DateTime? ProcessedUtc { get; private set; }

    public InviteCsvRow AsCsvRow() => new(Line, Email, RoleText);

    public static BulkInviteRow Read(Guid bulkInviteId, InviteCsvRow row, InviteRowState state, string? accountId, bool inOrganization, bool inAnotherOrganization)
    {
        var email = row.Email.Length > MaxEmailLength ? row.Email[..MaxEmailLength] : row.Email;
        return new()
        {
            BulkInviteId = bulkInviteId,
            Line = row.Line,
            Email = email,
            EmailKey = email.ToUpperInvariant(),
            RoleText = row.RoleText.Length > MaxRoleLength ? row.RoleText[..MaxRoleLength] : row.RoleText,
            Role = row.Role,
            State = state,
            AccountId = accountId,
            InOrganization = inOrganization,
            InAnotherOrganization = inAnotherOrganization,
        };
    }

    /// <summary>The administrator picks the role on the review page; the row's state is then reviewed again with its namesakes.</summary>
    public void ChangeRole(OrganizationRole role)
    {
        if (role == OrganizationRole.Administrator)
        {
            throw new ArgumentOutOfRangeException(nameof(role), "Administrators are appointed by support, not invited.");
        }
        (Role, RoleText) = (role, role.ToString());
    }

    public void Review(InviteRowState state) => State = state;

    public void Invited(Guid invitationId, string token, DateTime utcNow) =>
        (Outcome, InvitationId, PendingToken, ProcessedUtc) = (BulkInviteOutcome.Invited, invitationId, token, utcNow);

    public void NotInvited(BulkInviteOutcome outcome, DateTime utcNow) => (Outcome, ProcessedUtc) = (outcome, utcNow);

    /// <summary>
    /// The rows of one email in file order, reviewed again after a role change: which of them comes first (and is the
    /// one to invite) depends on which have a valid role.
    /// </summary>
    public static void ReviewNamesakes(IReadOnlyList<BulkInviteRow> namesakes)
    {
        var ordered = namesakes.OrderBy(r => r.Line).ToList();
        var states = InviteCsv.Review([.. ordered.Select(r => r.AsCsvRow())],
            _ => ordered[0].AccountId is not null, _ => ordered[0].InOrganization, _ => ordered[0].InAnotherOrganization);
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered[i].Review(states[i].State);
        }
    }
}
