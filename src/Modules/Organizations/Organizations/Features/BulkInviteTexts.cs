namespace ChaosModular.Organizations.Features;

/// <summary>How the review and status pages and the report name a row's state and result.</summary>
internal static class BulkInviteTexts
{
    public static string State(InviteRowState state) => state switch
    {
        InviteRowState.Ready => "Ready",
        InviteRowState.InvalidEmail => "Invalid email",
        InviteRowState.InvalidRole => "Invalid role (Member or Guest)",
        InviteRowState.DuplicateInFile => "Duplicate in the file",
        InviteRowState.UnknownAccount => "No Chaos account",
        InviteRowState.AlreadyMember => "Already a member or invited",
        InviteRowState.InAnotherOrganization => "In another organization",
        InviteRowState.EmailNotConfirmed => "Email not confirmed yet",
        _ => state.ToString(),
    };

    public static string Outcome(BulkInviteOutcome outcome) => outcome switch
    {
        BulkInviteOutcome.Invited => "Invited",
        BulkInviteOutcome.Skipped => "Not sent",
        BulkInviteOutcome.AlreadyMember => "Already a member",
        BulkInviteOutcome.AlreadyInvited => "Already invited",
        BulkInviteOutcome.InAnotherOrganization => "Joined another organization",
        BulkInviteOutcome.NotRegistered => "Account closed",
        _ => outcome.ToString(),
    };

    /// <summary>A row's result as the status page and the report say it: for a row not sent, why.</summary>
    public static string Result(InviteRowState state, BulkInviteOutcome? outcome) => outcome switch
    {
        null => "Waiting",
        BulkInviteOutcome.Skipped => $"Not sent: {State(state).ToLowerInvariant()}",
        { } o => Outcome(o),
    };

    public static string Status(BulkInviteStatus status) => status switch
    {
        BulkInviteStatus.Review => "In review",
        BulkInviteStatus.Sending => "Sending",
        _ => "Finished",
    };
}
