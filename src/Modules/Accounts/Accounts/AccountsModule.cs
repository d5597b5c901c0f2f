using ChaosModular.Accounts.Features.Registration;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChaosModular.Accounts;

public sealed class AccountsModule : IModule
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>The data-protection application name: fixed, so it does not follow the content root of each instance.</summary>
    public const string ApplicationName = "ChaosModular";

    public string Name => AccountsDbContext.Schema;

    public Type DbContextType => typeof(AccountsDbContext);

    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<AccountsDbContext>(Name);
        services.AddOptions<SeedOptions>().Bind(configuration.GetSection(SeedOptions.Section));

        // One key ring in the database and one application name for every Web and Worker instance: a restart signs no
        // one out, and a cookie, antiforgery token or reset link made by one instance is read by the others.
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<AccountsDbContext>();

        services.AddIdentity<PortalUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
                o.Lockout.AllowedForNewUsers = true;
                o.Tokens.PasswordResetTokenProvider = PasswordResetTokens.Name;
                o.Tokens.EmailConfirmationTokenProvider = EmailConfirmationTokens.Name;
            })
            .AddEntityFrameworkStores<AccountsDbContext>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<PasswordResetTokens>(PasswordResetTokens.Name)
            .AddTokenProvider<EmailConfirmationTokens>(EmailConfirmationTokens.Name)
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>();

        services.AddSingleton<IConfigureOptions<PasswordHasherOptions>, PasswordHashCost>();

        // A changed password renews the security stamp; checking it on every request signs other sessions out at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddScoped<ISecurityStampValidator, SessionValidator>();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = AccountsRoutes.SignIn;
            o.LogoutPath = AccountsRoutes.SignOut;
            // Never visited: the event below answers 403 instead of redirecting here, so no page has this path.
            o.AccessDeniedPath = "/access-denied";
            o.Cookie.Name = "chaos.auth";
            o.Cookie.HttpOnly = true;
            // Lax, not Strict: a link from an email or another site opens the portal signed in; a cross-site POST carries no cookie.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // A signed-in user without the right role gets a plain 403, rendered by the error page.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        // Outside Development the cookie goes over HTTPS only, also when the request reached us as http behind a proxy.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IHostEnvironment, IOptions<HostingOptions>>((o, environment, hosting) =>
                o.Cookie.SecurePolicy = hosting.Value.CookiesFollowRequest(environment) ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(PortalPolicies.Support, p => p.RequireRole(PortalRoles.Support))
            .AddPolicy(PortalPolicies.OrganizationAdministrator, p => p.RequireRole(PortalRoles.OrganizationAdministrator))
            .AddPolicy(PortalPolicies.ConfirmedEmail, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.EmailConfirmed, "true"));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, EmailConfirmationRedirect>();

        services.AddScoped<RegisterCustomer>();
        services.AddScoped<ChangePassword>();
        services.AddScoped<RequestPasswordReset>();
        services.AddScoped<ResetPassword>();
        services.AddScoped<ResendEmailConfirmation>();
        services.AddScoped<ConfirmEmail>();
        services.AddModuleSeeder<AccountsSeeder>(Name);
        services.AddScoped<IAccountsApi, AccountsApi>();
    }
}
