
namespace ChaosModular.Notifications.Templates;

/// <summary>Notifications' own emails, sent on Accounts' events; typed like the ones other modules ask for.</summary>
internal sealed record WelcomeEmail(string SourceKey, string ToAddress, string ToName, string CustomerNumber)
    : EmailMessage(SourceKey, ToAddress, ToName);

internal sealed record PasswordChangedEmail(string SourceKey, string ToAddress, string ToName, DateTime ChangedUtc)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>Forgot password: the single-use link to set a new password.</summary>
internal sealed record PasswordResetEmail(string SourceKey, string ToAddress, string ToName, string UserId, string Token, DateTime ExpiresUtc)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>The link that confirms the account's address, sent at sign-up and when asked again.</summary>
internal sealed record EmailConfirmationEmail(string SourceKey, string ToAddress, string ToName, string UserId, string Token, DateTime ExpiresUtc)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>Someone tried to create an account with this (already registered) address.</summary>
internal sealed record TakenEmailNoticeEmail(string SourceKey, string ToAddress, string ToName, DateTime AttemptedUtc)
    : EmailMessage(SourceKey, ToAddress, ToName);
