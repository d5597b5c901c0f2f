using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.RateLimiting;

/// <summary>
/// Marks a page whose form posts are limited by the rule <see cref="Rule"/> (one of <see cref="FormRateLimits"/>), per client
/// address and per account. Only POSTs count, and with <see cref="Handler"/> only that named handler's.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class FormRateLimitAttribute(string rule) : Attribute
{
    public string Rule { get; } = rule;

    /// <summary>
    /// The Razor Pages handler (<c>?handler=Add</c>) the limit applies to, or several separated by commas
    /// (<c>Setup,Add</c>); null for every POST of the page.
    /// </summary>
    public string? Handler { get; init; }
}

/// <summary>One rule: at most <see cref="PerAddress"/> posts from one client address and <see cref="PerAccount"/> for one account per window.</summary>
public sealed class FormRateLimitRule
{
    public int PerAddress { get; set; }
    public int PerAccount { get; set; }
    public TimeSpan Window { get; set; }
}

/// <summary><c>RateLimits:Forms:{rule}</c>: each rule's limits; anything not configured keeps the default below.</summary>
public sealed class FormRateLimitOptions
{
    public const string Section = "RateLimits:Forms";

    public Dictionary<string, FormRateLimitRule> Rules { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [FormRateLimits.SignIn] = new() { PerAddress = 30, PerAccount = 10, Window = TimeSpan.FromMinutes(5) },
        [FormRateLimits.ForgotPassword] = new() { PerAddress = 10, PerAccount = 3, Window = TimeSpan.FromMinutes(15) },
        [FormRateLimits.SignUp] = new() { PerAddress = 10, PerAccount = 3, Window = TimeSpan.FromHours(1) },
        [FormRateLimits.ConfirmationEmail] = new() { PerAddress = 20, PerAccount = 3, Window = TimeSpan.FromMinutes(15) },
        [FormRateLimits.CardSaving] = new() { PerAddress = 20, PerAccount = 10, Window = TimeSpan.FromHours(1) },
    };
}

/// <summary>
/// Abuse limits on the forms a stranger or a script would hammer (guessing passwords, mail-bombing through Forgot password or
/// Create account, testing stolen cards), with the ASP.NET Core rate limiter: its global limiter chains a per-address and a
/// per-account fixed window for the endpoints marked with <see cref="FormRateLimitAttribute"/> and lets everything else
/// through (the APIs keep their own named policies). The account is the signed-in user, or on the anonymous forms the email
/// typed in (<c>Form.Email</c>), so spreading guesses over many addresses does not help either. Over a limit: 429 with
/// Retry-After, rendered by the error page as "too many attempts, try again in N minutes".
/// </summary>
public static class FormRateLimits
{
    public const string SignIn = "SignIn";
    public const string ForgotPassword = "ForgotPassword";
    public const string SignUp = "SignUp";
    public const string ConfirmationEmail = "ConfirmationEmail";
    public const string CardSaving = "CardSaving";

    /// <summary>Set on the request when a limit refused it: the seconds until it may try again (the error page says so).</summary>
    public const string RetryAfterItem = "ChaosModular.RetryAfterSeconds";

    private const string EmailField = "Form.Email";

    public static IServiceCollection AddFormRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FormRateLimitOptions>().Configure(o =>
        {
            foreach (var section in configuration.GetSection(FormRateLimitOptions.Section).GetChildren())
            {
                var rule = o.Rules.TryGetValue(section.Key, out var known) ? known : o.Rules[section.Key] = new FormRateLimitRule { Window = TimeSpan.FromMinutes(1) };
                section.Bind(rule);
            }
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<FormRateLimitOptions>>((o, limits) =>
        {
            var rules = limits.Value.Rules;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, rules, perAccount: false)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, rules, perAccount: true)));
            o.OnRejected = (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Items[RetryAfterItem] = seconds;
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>
    /// Before <c>UseRateLimiter</c>: reads the form of a limited POST (asynchronously, once; model binding reuses it) so the
    /// limiter, which runs synchronously, can see the email typed in.
    /// </summary>
    public static IApplicationBuilder UseFormRateLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Limited(context) is not null && context.Request.HasFormContentType)
        {
            try
            {
                await context.Request.ReadFormAsync(context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                // Not a form a browser sends (a NUL character, too many values): the error page's "Bad request".
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }
        await next(context);
    });

    private static FormRateLimitAttribute? Limited(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<FormRateLimitAttribute>() is not { } limit)
        {
            return null;
        }
        return limit.Handler is null
            || limit.Handler.Split(',', StringSplitOptions.TrimEntries).Contains(context.Request.Query["handler"].ToString(), StringComparer.OrdinalIgnoreCase)
            ? limit
            : null;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, IReadOnlyDictionary<string, FormRateLimitRule> rules, bool perAccount)
    {
        if (Limited(context) is not { } limit || !rules.TryGetValue(limit.Rule, out var rule))
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        var key = perAccount ? AccountOf(context) : context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (key is null)
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        var permits = perAccount ? rule.PerAccount : rule.PerAddress;
        return RateLimitPartition.GetFixedWindowLimiter($"{limit.Rule}|{(perAccount ? "account" : "address")}|{key}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = rule.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static string? AccountOf(HttpContext context)
    {
        if (context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } userId)
        {
            return "user:" + userId;
        }
        // The form read by UseFormRateLimits (never read here: the limiter runs synchronously).
        return context.Features.Get<IFormFeature>()?.Form is { } form && form.TryGetValue(EmailField, out var email) && email.ToString().Trim() is { Length: > 0 } typed
            ? "email:" + typed.ToUpperInvariant()
            : null;
    }
}
