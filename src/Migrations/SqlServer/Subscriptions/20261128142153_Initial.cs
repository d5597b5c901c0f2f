using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.Subscriptions
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "subscriptions");

            migrationBuilder.CreateTable(
                name: "outbox_handled",
                schema: "subscriptions",
                columns: table => new
                {
                    MessageId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    HandlerKey = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    HandledUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_handled", x => new { x.MessageId, x.HandlerKey });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Type = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    Payload = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    OccurredUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DispatchedUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CompletedUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "subscriptions",
                schema: "subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CustomerId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    PlanCode = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    ProductCode = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false),
                    FamilyCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Term = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Currency = table.Column<string>(type: "nchar(3)", fixedLength: true, maxLength: 3, nullable: false),
                    PricePerSeat = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    Seats = table.Column<int>(type: "int", nullable: false),
                    SeatsFromRenewal = table.Column<int>(type: "int", nullable: true),
                    ActivatedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    PeriodStart = table.Column<DateOnly>(type: "date", nullable: false),
                    RenewsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    AutoRenew = table.Column<bool>(type: "bit", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    LicenseKey = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscriptions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_CompletedUtc",
                schema: "subscriptions",
                table: "outbox_messages",
                column: "CompletedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_DispatchedUtc",
                schema: "subscriptions",
                table: "outbox_messages",
                column: "DispatchedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_subscriptions_CustomerId_Status_RenewsOn",
                schema: "subscriptions",
                table: "subscriptions",
                columns: new[] { "CustomerId", "Status", "RenewsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_subscriptions_Status_RenewsOn",
                schema: "subscriptions",
                table: "subscriptions",
                columns: new[] { "Status", "RenewsOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_handled",
                schema: "subscriptions");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "subscriptions");

            migrationBuilder.DropTable(
                name: "subscriptions",
                schema: "subscriptions");
        }
    }
}
