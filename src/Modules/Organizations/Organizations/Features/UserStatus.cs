namespace ChaosModular.Organizations.Features;

/// <summary>Where a person stands in the organization, as the Users list shows and filters it.</summary>
internal enum UserStatus
{
    Active,
    Invited,
    InvitationExpired,
}
