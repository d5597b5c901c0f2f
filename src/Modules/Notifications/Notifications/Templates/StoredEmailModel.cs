using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ChaosModular.Notifications.Templates;

/// <summary>
/// How an <see cref="EmailMessage"/> is kept on its row: the template name (one per kind; the names rows had
/// before messages were typed) and the message as JSON, without its attachments (stored beside it).
/// </summary>
internal static class StoredEmailModel
{
    private static readonly Dictionary<string, Type> Kinds = new(StringComparer.Ordinal)
    {
        ["welcome"] = typeof(WelcomeEmail),
        ["password-changed"] = typeof(PasswordChangedEmail),
        ["password-reset"] = typeof(PasswordResetEmail),
        ["receipt"] = typeof(ReceiptEmail),
        ["payment-failed"] = typeof(PaymentFailedEmail),
        ["credit-granted"] = typeof(CreditGrantedEmail),
        ["renewal-reminder"] = typeof(RenewalReminderEmail),
        ["subscription-expired"] = typeof(SubscriptionExpiredEmail),
        ["order-completed"] = typeof(OrderCompletedEmail),
        ["order-failed"] = typeof(OrderFailedEmail),
        ["organization-administrator-appointed"] = typeof(OrganizationAdministratorAppointedEmail),
        ["organization-invitation"] = typeof(OrganizationInvitationEmail),
        ["organization-removal"] = typeof(OrganizationRemovalEmail),
        ["organization-bulk-invite-report"] = typeof(OrganizationBulkInviteReportEmail),
        ["email-confirmation"] = typeof(EmailConfirmationEmail),
        ["sign-up-with-taken-email"] = typeof(TakenEmailNoticeEmail),
    };

    private static readonly Dictionary<Type, string> Names = Kinds.ToDictionary(k => k.Value, k => k.Key);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new MoneyConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithoutAttachments } },
    };

    public static string TemplateOf(EmailMessage message) =>
        Names.TryGetValue(message.GetType(), out var name)
            ? name
            : throw new InvalidOperationException($"{message.GetType().Name} has no email template.");

    /// <summary>The source key of an email sent once per event.</summary>
    public static string EventSourceKey<TEmail>(Guid eventId) where TEmail : EmailMessage =>
        $"{eventId:N}:{Names[typeof(TEmail)]}";

    public static string Serialize(EmailMessage message) => JsonSerializer.Serialize(message, message.GetType(), Json);

    public static EmailMessage Deserialize(string template, string sourceKey, string toAddress, string toName, string modelJson)
    {
        if (!Kinds.TryGetValue(template, out var kind))
        {
            throw new InvalidOperationException($"Unknown email template '{template}'.");
        }
        using var document = JsonDocument.Parse(modelJson);
        // A typed message always carries its source key; a row written before messages were typed holds the
        // template's dictionary of strings instead, which never has one.
        return document.RootElement.TryGetProperty("sourceKey", out _)
            ? (EmailMessage)document.RootElement.Deserialize(kind, Json)!
            : FromLegacy(template, sourceKey, toAddress, document.RootElement.Deserialize<Dictionary<string, string>>()!);
    }

    /// <summary>Reads the old dictionary (the values as the caller formatted them) into the message that renders the same text.</summary>
    private static EmailMessage FromLegacy(string template, string sourceKey, string toAddress, Dictionary<string, string> model)
    {
        var name = model["name"];
        string? Optional(string key) => string.IsNullOrEmpty(model.GetValueOrDefault(key)) ? null : model[key];
        DateOnly Date(string key) => DateOnly.ParseExact(model[key], EmailFormat.DateFormat, CultureInfo.InvariantCulture);
        DateTime Time(string key) => DateTime.SpecifyKind(DateTime.ParseExact(model[key], EmailFormat.DateTimeFormat, CultureInfo.InvariantCulture), DateTimeKind.Utc);
        Money Amount() => ParseMoney(model["amount"]);
        IReadOnlyList<string> Invoices() => model["invoices"].Split(", ");
        return template switch
        {
            "welcome" => new WelcomeEmail(sourceKey, toAddress, name, model["customerNumber"]),
            "password-changed" => new PasswordChangedEmail(sourceKey, toAddress, name, Time("changedUtc")),
            "receipt" => new ReceiptEmail(sourceKey, toAddress, name, Amount(), Invoices(), Time("paidUtc"), model["method"]),
            "payment-failed" => new PaymentFailedEmail(sourceKey, toAddress, name, Amount(), Invoices(), model["reason"],
                Optional("nextAttempt") is { } next ? DateOnly.ParseExact(next, EmailFormat.DateFormat, CultureInfo.InvariantCulture) : null),
            "renewal-reminder" => new RenewalReminderEmail(sourceKey, toAddress, name, model["product"], Date("renewsOn"),
                model["autoRenew"] == "true", int.Parse(model["seats"], CultureInfo.InvariantCulture), Amount(), Optional("method")),
            "subscription-expired" => new SubscriptionExpiredEmail(sourceKey, toAddress, name, model["product"],
                Optional("expiredOn") is { } expired ? DateOnly.ParseExact(expired, EmailFormat.DateFormat, CultureInfo.InvariantCulture) : null, Optional("reason")),
            _ => throw new InvalidOperationException($"Unknown email template '{template}'."),
        };
    }

    /// <summary>The inverse of <see cref="Money.ToString"/>: "1,234.50 EUR".</summary>
    private static Money ParseMoney(string text)
    {
        var space = text.LastIndexOf(' ');
        return new Money(decimal.Parse(text[..space], NumberStyles.Number, CultureInfo.InvariantCulture), text[(space + 1)..]);
    }

    private static void WithoutAttachments(JsonTypeInfo type)
    {
        if (type.Kind == JsonTypeInfoKind.Object && type.Type.IsAssignableTo(typeof(EmailMessage)))
        {
            type.Properties.Remove(type.Properties.Single(p => p.Name == "attachments"));
        }
    }

    /// <summary>Money has no setters for the serializer to fill: written as its amount and currency.</summary>
    private sealed class MoneyConverter : JsonConverter<Money>
    {
        private sealed record Parts(decimal Amount, string Currency);

        public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var parts = JsonSerializer.Deserialize<Parts>(ref reader, options)!;
            return new Money(parts.Amount, parts.Currency);
        }

        public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new Parts(value.Amount, value.Currency), options);
    }
}
