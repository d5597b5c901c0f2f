using ChaosModular.Accounts.Features.Registration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Accounts.Data;

/// <summary>The <c>Seed</c> section: demo users for a local run. Off in production.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    public bool Demo { get; set; }
    public string DemoCustomerEmail { get; set; } = "demo@chaosmodular.local";
    public string DemoCustomerPassword { get; set; } = "DemoCustomer#2026";
    public string DemoMemberEmail { get; set; } = DemoPeople.MemberEmail;
    public string DemoMemberPassword { get; set; } = "DemoMember#2026";
    public string SupportEmail { get; set; } = "support@chaosmodular.local";
    public string SupportPassword { get; set; } = "SupportDesk#2026";
}

/// <summary>
/// The roles, and with <c>Seed:Demo</c> the demo customer and the support desk user. <see cref="EnsureUserAsync"/>
/// also makes the users of the end-to-end tests, one per journey.
/// </summary>
internal sealed class AccountsSeeder(
    RoleManager<IdentityRole> roles,
    UserManager<PortalUser> users,
    RegisterCustomer register,
    IOptions<SeedOptions> seed,
    ILogger<AccountsSeeder> logger) : IModuleSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in new[] { PortalRoles.Support, PortalRoles.OrganizationAdministrator })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
        var options = seed.Value;
        if (!options.Demo)
        {
            return;
        }
        await EnsureUserAsync("Demo Customer", options.DemoCustomerEmail, options.DemoCustomerPassword, "DE", null, cancellationToken);
        // The Organization menu follows membership (Organizations adds the role claim to its administrators): a role
        // stored for the demo customer by an earlier seed would outlive the membership, so it goes.
        if (await users.FindByEmailAsync(options.DemoCustomerEmail) is { } demo && await users.IsInRoleAsync(demo, PortalRoles.OrganizationAdministrator))
        {
            await users.RemoveFromRoleAsync(demo, PortalRoles.OrganizationAdministrator);
        }
        await EnsureUserAsync("Support Desk", options.SupportEmail, options.SupportPassword, "BG", PortalRoles.Support, cancellationToken);
        // The demo organization's people (Organizations makes them members and guests of Demo Studio).
        await EnsureUserAsync("Demo Member", options.DemoMemberEmail, options.DemoMemberPassword, "DE", null, cancellationToken);
        foreach (var (name, email) in DemoPeople.Members.Concat(DemoPeople.Guests).Append(DemoPeople.Invited).Append(DemoPeople.BulkInvited))
        {
            await EnsureUserAsync(name, email, RandomPassword(), "NL", null, cancellationToken);
        }
    }

    /// <summary>Nobody signs in as the other demo people: a password nobody knows, never logged.</summary>
    private static string RandomPassword() => "Demo#" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)) + "a1";

    /// <summary>Registers the user as a customer signing up would be, in <paramref name="role"/> if given; nothing if the email is taken.</summary>
    /// <returns>The user's id (the customer id the other modules key their data by).</returns>
    public async Task<string> EnsureUserAsync(string name, string email, string password, string country, string? role, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            return existing.Id;
        }
        var result = await register.HandleAsync(new RegisterCustomer.Command(name, email, password, country, EmailConfirmed: true), cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding {email} failed: {string.Join(" ", result.Errors)}");
        }
        if (role is not null)
        {
            await users.AddToRoleAsync(result.User!, role);
        }
        // No password in the log: the demo users' passwords are in the README, the others' are random.
        logger.LogInformation("Seeded a {Role} user (see the README for the demo users).", role ?? "customer");
        return result.User!.Id;
    }
}
