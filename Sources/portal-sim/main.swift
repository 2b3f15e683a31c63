// portal-sim: see PortalSimulatorCommand.swift
