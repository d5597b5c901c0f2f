using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.CloudCredits
{
    /// <inheritdoc />
    public partial class InitialCloudCredits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "cloudcredits");

            migrationBuilder.CreateTable(
                name: "credit_grants",
                schema: "cloudcredits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CustomerId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Amount = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    Used = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    GrantedUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_credit_grants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_handled",
                schema: "cloudcredits",
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
                schema: "cloudcredits",
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

            migrationBuilder.CreateIndex(
                name: "IX_credit_grants_CustomerId_ExpiresOn",
                schema: "cloudcredits",
                table: "credit_grants",
                columns: new[] { "CustomerId", "ExpiresOn" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_CompletedUtc",
                schema: "cloudcredits",
                table: "outbox_messages",
                column: "CompletedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_DispatchedUtc",
                schema: "cloudcredits",
                table: "outbox_messages",
                column: "DispatchedUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "credit_grants",
                schema: "cloudcredits");

            migrationBuilder.DropTable(
                name: "outbox_handled",
                schema: "cloudcredits");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "cloudcredits");
        }
    }
}
