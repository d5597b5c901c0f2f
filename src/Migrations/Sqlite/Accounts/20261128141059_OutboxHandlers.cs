using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Accounts
{
    /// <inheritdoc />
    public partial class OutboxHandlers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CompletedUtc",
                schema: "accounts",
                table: "outbox_messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "outbox_handled",
                schema: "accounts",
                columns: table => new
                {
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HandlerKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    HandledUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_handled", x => new { x.MessageId, x.HandlerKey });
                });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_CompletedUtc",
                schema: "accounts",
                table: "outbox_messages",
                column: "CompletedUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_handled",
                schema: "accounts");

            migrationBuilder.DropIndex(
                name: "IX_outbox_messages_CompletedUtc",
                schema: "accounts",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "CompletedUtc",
                schema: "accounts",
                table: "outbox_messages");
        }
    }
}
